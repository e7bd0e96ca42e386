// A guard for file mappings read in place: when a mapped file is truncated by
// another process while it is read, the pages past its new end raise SIGBUS on
// access. Inside a guarded region the handler maps a zero page over the page
// that faulted, marks the region as faulted and lets the read go on; the owner
// of the mapping then reports the file as changed instead of the process dying.
#ifndef ROUTESHIFT_MAPPED_FILES_H
#define ROUTESHIFT_MAPPED_FILES_H

#include <stddef.h>

/// Guards the `length` bytes mapped at `base` (page aligned, as `mmap` returns).
/// Returns a slot number for `routeshift_mapping_unguard`, or -1 when no slot is
/// free or the handler could not be installed (the mapping is then not guarded:
/// the caller reads the file instead of mapping it). Installs the SIGBUS handler
/// on first use; a fault outside every guarded region goes to the handler that
/// was installed before it (or to the default action).
int routeshift_mapping_guard(const void *base, size_t length);

/// Guards like `routeshift_mapping_guard` a region whose zeros would be read as
/// data long after the fault (a cache used in place): a fault there is not
/// answered with a zero page. The handler records `message` (which the caller
/// keeps, unchanged, while the region is guarded) for
/// `routeshift_mapping_fault_message` and passes the signal on to the handler
/// installed before it, which can report it and end the process.
int routeshift_mapping_guard_fatal(const void *base, size_t length, const char *message, size_t message_length);

/// The message of the fatal region in which a page faulted, or NULL if none did;
/// async-signal-safe (for a SIGBUS handler).
const char *routeshift_mapping_fault_message(size_t *length);

/// Whether a read in the guarded region of `slot` has faulted since it was guarded.
int routeshift_mapping_faulted(int slot);

/// Ends the guard of `slot` (before the region is unmapped); returns whether it faulted.
int routeshift_mapping_unguard(int slot);

#endif
