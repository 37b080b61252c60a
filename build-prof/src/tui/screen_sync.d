build-prof/src/tui/screen_sync.o: src/tui/screen_sync.c include/gltime.h \
 include/tui_screens.h include/tui_app.h include/lane.h include/cache.h \
 include/arena.h include/glmsg.h include/jws.h include/plate.h \
 include/decision.h include/policy.h include/dynbuf.h include/idno.h \
 include/journal.h include/query.h include/tui.h include/tui_keys.h \
 include/tui_term.h
include/gltime.h:
include/tui_screens.h:
include/tui_app.h:
include/lane.h:
include/cache.h:
include/arena.h:
include/glmsg.h:
include/jws.h:
include/plate.h:
include/decision.h:
include/policy.h:
include/dynbuf.h:
include/idno.h:
include/journal.h:
include/query.h:
include/tui.h:
include/tui_keys.h:
include/tui_term.h:
