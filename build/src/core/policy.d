build/src/core/policy.o: src/core/policy.c include/logic.h \
 include/glmsg.h include/policy.h include/idno.h
include/logic.h:
include/glmsg.h:
include/policy.h:
include/idno.h:
