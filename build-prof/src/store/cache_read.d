build-prof/src/store/cache_read.o: src/store/cache_read.c \
 src/store/cache_int.h include/arena.h include/cache.h include/arena.h \
 include/glmsg.h include/jws.h include/plate.h include/glmsg.h \
 include/jws.h include/record.h include/idno.h include/facts.h \
 include/query.h
src/store/cache_int.h:
include/arena.h:
include/cache.h:
include/arena.h:
include/glmsg.h:
include/jws.h:
include/plate.h:
include/glmsg.h:
include/jws.h:
include/record.h:
include/idno.h:
include/facts.h:
include/query.h:
