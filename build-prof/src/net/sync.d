build-prof/src/net/sync.o: src/net/sync.c include/cache.h include/arena.h \
 include/glmsg.h include/jws.h include/plate.h include/dynbuf.h \
 include/jscan.h include/sync.h include/journal.h include/utf8.h
include/cache.h:
include/arena.h:
include/glmsg.h:
include/jws.h:
include/plate.h:
include/dynbuf.h:
include/jscan.h:
include/sync.h:
include/journal.h:
include/utf8.h:
