build-dev/src/store/central_db.o: src/store/central_db.c \
 include/central_db.h include/glmsg.h include/db.h include/journal.h
include/central_db.h:
include/glmsg.h:
include/db.h:
include/journal.h:
