build-dev/src/central/admin.o: src/central/admin.c include/assets.h \
 include/bureau.h include/glmsg.h include/record.h include/idno.h \
 include/plate.h include/cache.h include/arena.h include/jws.h \
 include/central.h include/central_db.h include/demo.h include/gltime.h \
 include/idno.h include/jscan.h include/jws.h include/plate.h \
 include/policy.h include/dynbuf.h include/query.h include/record.h \
 include/tube.h
include/assets.h:
include/bureau.h:
include/glmsg.h:
include/record.h:
include/idno.h:
include/plate.h:
include/cache.h:
include/arena.h:
include/jws.h:
include/central.h:
include/central_db.h:
include/demo.h:
include/gltime.h:
include/idno.h:
include/jscan.h:
include/jws.h:
include/plate.h:
include/policy.h:
include/dynbuf.h:
include/query.h:
include/record.h:
include/tube.h:
