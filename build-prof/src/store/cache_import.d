build-prof/src/store/cache_import.o: src/store/cache_import.c \
 src/store/cache_int.h include/arena.h include/cache.h include/arena.h \
 include/glmsg.h include/jws.h include/plate.h include/glmsg.h \
 include/jws.h include/record.h include/idno.h include/db.h \
 include/facts.h include/query.h include/gltime.h include/jscan.h \
 include/policy.h include/dynbuf.h include/query.h include/utf8.h
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
include/facts.h:
include/query.h:
include/gltime.h:
include/jscan.h:
include/policy.h:
include/dynbuf.h:
include/query.h:
include/utf8.h:
