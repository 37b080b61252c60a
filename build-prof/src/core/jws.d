build-prof/src/core/jws.o: src/core/jws.c include/jws.h include/glmsg.h
include/jws.h:
include/glmsg.h:
