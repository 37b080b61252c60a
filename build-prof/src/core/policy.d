build-prof/src/core/policy.o: src/core/policy.c include/logic.h \
 include/glmsg.h include/jscan.h include/policy.h include/dynbuf.h \
 include/idno.h
include/logic.h:
include/glmsg.h:
include/jscan.h:
include/policy.h:
include/dynbuf.h:
include/idno.h:
