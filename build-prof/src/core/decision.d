build-prof/src/core/decision.o: src/core/decision.c include/decision.h \
 include/policy.h include/dynbuf.h include/glmsg.h include/idno.h
include/decision.h:
include/policy.h:
include/dynbuf.h:
include/glmsg.h:
include/idno.h:
