build-prof/src/core/event.o: src/core/event.c include/event.h \
 include/glmsg.h include/tube.h include/gltime.h include/idno.h \
 include/jscan.h include/plate.h include/query.h include/idno.h \
 include/plate.h
include/event.h:
include/glmsg.h:
include/tube.h:
include/gltime.h:
include/idno.h:
include/jscan.h:
include/plate.h:
include/query.h:
include/idno.h:
include/plate.h:
