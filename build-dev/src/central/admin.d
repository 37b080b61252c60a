build-dev/src/central/admin.o: src/central/admin.c include/assets.h \
 include/cache.h include/arena.h include/glmsg.h include/jws.h \
 include/plate.h include/central.h include/central_db.h include/demo.h \
 include/gltime.h include/idno.h include/jscan.h include/jws.h \
 include/plate.h include/policy.h include/idno.h include/query.h
include/assets.h:
include/cache.h:
include/arena.h:
include/glmsg.h:
include/jws.h:
include/plate.h:
include/central.h:
include/central_db.h:
include/demo.h:
include/gltime.h:
include/idno.h:
include/jscan.h:
include/jws.h:
include/plate.h:
include/policy.h:
include/idno.h:
include/query.h:
