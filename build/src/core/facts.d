build/src/core/facts.o: src/core/facts.c include/facts.h include/jws.h \
 include/glmsg.h include/query.h include/idno.h include/plate.h \
 include/gltime.h include/idno.h
include/facts.h:
include/jws.h:
include/glmsg.h:
include/query.h:
include/idno.h:
include/plate.h:
include/gltime.h:
include/idno.h:
