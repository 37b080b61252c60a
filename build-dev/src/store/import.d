build-dev/src/store/import.o: src/store/import.c include/cache.h \
 include/arena.h include/glmsg.h include/jws.h include/plate.h \
 include/jscan.h
include/cache.h:
include/arena.h:
include/glmsg.h:
include/jws.h:
include/plate.h:
include/jscan.h:
