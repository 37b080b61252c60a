build-dev/src/central/server.o: src/central/server.c include/central.h \
 include/glmsg.h include/record.h include/idno.h include/plate.h \
 include/central_db.h include/dynbuf.h include/event.h include/tube.h \
 include/gltime.h include/idno.h include/plate.h
include/central.h:
include/glmsg.h:
include/record.h:
include/idno.h:
include/plate.h:
include/central_db.h:
include/dynbuf.h:
include/event.h:
include/tube.h:
include/gltime.h:
include/idno.h:
include/plate.h:
