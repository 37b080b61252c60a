build-prof/src/core/logic.o: src/core/logic.c include/logic.h \
 include/glmsg.h
include/logic.h:
include/glmsg.h:
