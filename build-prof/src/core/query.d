build-prof/src/core/query.o: src/core/query.c include/gltime.h \
 include/jscan.h include/jws.h include/glmsg.h include/query.h \
 include/idno.h include/plate.h include/utf8.h
include/gltime.h:
include/jscan.h:
include/jws.h:
include/glmsg.h:
include/query.h:
include/idno.h:
include/plate.h:
include/utf8.h:
