build-dev/src/central/server.o: src/central/server.c include/central.h \
 include/central_db.h include/glmsg.h include/gltime.h include/idno.h \
 include/plate.h
include/central.h:
include/central_db.h:
include/glmsg.h:
include/gltime.h:
include/idno.h:
include/plate.h:
