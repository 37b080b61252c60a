build-prof/src/core/facts.o: src/core/facts.c include/arena.h \
 include/facts.h include/arena.h include/jws.h include/glmsg.h \
 include/query.h include/idno.h include/plate.h include/gltime.h \
 include/idno.h include/logic.h
include/arena.h:
include/facts.h:
include/arena.h:
include/jws.h:
include/glmsg.h:
include/query.h:
include/idno.h:
include/plate.h:
include/gltime.h:
include/idno.h:
include/logic.h:
