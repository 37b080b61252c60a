build-prof/src/store/cache.o: src/store/cache.c src/store/cache_int.h \
 include/arena.h include/cache.h include/arena.h include/glmsg.h \
 include/jws.h include/plate.h include/glmsg.h include/jws.h \
 include/record.h include/idno.h include/db.h include/jscan.h
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
include/db.h:
include/jscan.h:
