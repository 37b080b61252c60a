build-dev/src/store/cache.o: src/store/cache.c include/arena.h \
 include/cache.h include/arena.h include/glmsg.h include/jws.h \
 include/plate.h include/db.h include/dynbuf.h include/facts.h \
 include/query.h include/idno.h include/gltime.h include/idno.h \
 include/jscan.h include/policy.h include/dynbuf.h include/query.h \
 include/record.h include/utf8.h
include/arena.h:
include/cache.h:
include/arena.h:
include/glmsg.h:
include/jws.h:
include/plate.h:
include/db.h:
include/dynbuf.h:
include/facts.h:
include/query.h:
include/idno.h:
include/gltime.h:
include/idno.h:
include/jscan.h:
include/policy.h:
include/dynbuf.h:
include/query.h:
include/record.h:
include/utf8.h:
