build-dev/src/central/store/sqlite.o: src/central/store/sqlite.c \
 src/central/store/backend.h include/event.h include/glmsg.h \
 include/tube.h include/glmsg.h include/db.h include/utf8.h
src/central/store/backend.h:
include/event.h:
include/glmsg.h:
include/tube.h:
include/glmsg.h:
include/db.h:
include/utf8.h:
