build-prof/src/core/record.o: src/core/record.c include/gltime.h \
 include/jscan.h include/jws.h include/glmsg.h include/query.h \
 include/idno.h include/plate.h include/record.h include/utf8.h
include/gltime.h:
include/jscan.h:
include/jws.h:
include/glmsg.h:
include/query.h:
include/idno.h:
include/plate.h:
include/record.h:
include/utf8.h:
