build-prof/src/tui/keys.o: src/tui/keys.c include/tui_keys.h \
 include/tui_term.h include/policy.h include/dynbuf.h include/glmsg.h \
 include/idno.h
include/tui_keys.h:
include/tui_term.h:
include/policy.h:
include/dynbuf.h:
include/glmsg.h:
include/idno.h:
