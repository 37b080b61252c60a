build-prof/src/store/db.o: src/store/db.c include/db.h include/glmsg.h
include/db.h:
include/glmsg.h:
