build-prof/src/core/glmsg.o: src/core/glmsg.c include/glmsg.h
include/glmsg.h:
