build-prof/src/tui/screen_lane.o: src/tui/screen_lane.c include/facts.h \
 include/arena.h include/jws.h include/glmsg.h include/query.h \
 include/idno.h include/plate.h include/gltime.h include/idno.h \
 src/tui/tui_lane.h include/tube.h include/tui_edit.h include/tui_keys.h \
 include/tui_truck.h include/tui_app.h include/lane.h include/cache.h \
 include/decision.h include/policy.h include/dynbuf.h include/journal.h \
 include/tui.h include/tui_screens.h include/utf8.h
include/facts.h:
include/arena.h:
include/jws.h:
include/glmsg.h:
include/query.h:
include/idno.h:
include/plate.h:
include/gltime.h:
include/idno.h:
src/tui/tui_lane.h:
include/tube.h:
include/tui_edit.h:
include/tui_keys.h:
include/tui_truck.h:
include/tui_app.h:
include/lane.h:
include/cache.h:
include/decision.h:
include/policy.h:
include/dynbuf.h:
include/journal.h:
include/tui.h:
include/tui_screens.h:
include/utf8.h:
