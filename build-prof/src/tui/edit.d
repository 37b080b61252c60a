build-prof/src/tui/edit.o: src/tui/edit.c include/tui_edit.h \
 include/tui_keys.h include/tui_term.h include/policy.h include/dynbuf.h \
 include/glmsg.h include/idno.h include/utf8.h
include/tui_edit.h:
include/tui_keys.h:
include/tui_term.h:
include/policy.h:
include/dynbuf.h:
include/glmsg.h:
include/idno.h:
include/utf8.h:
