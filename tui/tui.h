/* tui.h - the full-screen interface: all that the program's main sees of
 * it. The rest of tui/ is in private.h.
 *
 * Files of this module (one per screen, and what the screens share):
 *   private.h       what the files of tui/ share; only tui/ includes curses
 *   app.c           the main loop, the screen stack, global keys, the
 *                   title, status and key-hint lines
 *   term.c          curses set-up, colours, keys, resize, too-small
 *   draw.c          width-aware text, wrapping, filled rows, dialog boxes
 *   canvas.c        the scroll canvas: a body of lines drawn and scrolled
 *   widgets.c       line editor, pick list, prompt, question dialog
 *   printing.c      printing a list: the folder, the printer offer, the
 *                   start screen's menu of lists to print
 *   fields.c        dialogs of labelled fields: typed, passwords, picked
 *   scan.c          a scanned case slip (XB1:...) opens the child's file
 *   scr_sign_in.c   signing in, and the lock after the idle minutes
 *   scr_start.c     the office and today's figures
 *   scr_children.c  the list of children: paging, filters, search, sort
 *   scr_reports.c   the list of reports
 *   scr_child.c     one child's file: sections, visits, reports
 *   scr_history.c   the audit trail of a record
 *   scr_form.c      add and edit forms drawn from the schema
 *   scr_report.c    a report's timeline
 *   scr_help.c      the keys of the current screen
 *   scr_exchange.c  the office key, bound offices, export and import
 *   scr_offices.c   the county's view: offices, bundles, children held
 *   scr_conflicts.c records changed on both sides, settled one by one
 *   scr_villages.c  the office's village register: list, add
 *   scr_users.c     the users and the office's settings, for a leader
 *   scr_approvals.c the requests waiting for a leader's approval (审核):
 *                   list, one request, approve, send back */
#ifndef XB_TUI_H
#define XB_TUI_H

#include "../common/status.h"
#include "../store/store.h"

/* Runs the interface on the open ledger until the clerk leaves. Needs a
 * terminal on stdin and stdout; setlocale must have been called. With
 * sign_in, the screen asks who signs in first, user (may be NULL)
 * offered as the name; else user is signed in already (the command line
 * asked). */
int tui_run(struct store *st, const char *user, int sign_in,
	    struct xb_error *err);

#endif
