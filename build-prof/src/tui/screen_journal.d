build-prof/src/tui/screen_journal.o: src/tui/screen_journal.c \
 include/facts.h include/arena.h include/jws.h include/glmsg.h \
 include/query.h include/idno.h include/plate.h include/gltime.h \
 include/tui_screens.h include/tui_app.h include/lane.h include/cache.h \
 include/decision.h include/policy.h include/dynbuf.h include/journal.h \
 include/tui.h include/tui_keys.h include/tui_term.h include/words.h
include/facts.h:
include/arena.h:
include/jws.h:
include/glmsg.h:
include/query.h:
include/idno.h:
include/plate.h:
include/gltime.h:
include/tui_screens.h:
include/tui_app.h:
include/lane.h:
include/cache.h:
include/decision.h:
include/policy.h:
include/dynbuf.h:
include/journal.h:
include/tui.h:
include/tui_keys.h:
include/tui_term.h:
include/words.h:
