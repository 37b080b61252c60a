build-prof/src/tui/term.o: src/tui/term.c include/tui_term.h \
 include/policy.h include/dynbuf.h include/glmsg.h include/idno.h \
 include/utf8.h
include/tui_term.h:
include/policy.h:
include/dynbuf.h:
include/glmsg.h:
include/idno.h:
include/utf8.h:
