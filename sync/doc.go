// Package sync holds, in sub-packages, the deployment pipeline and
// replication: sync/deploy is the one path by which an entity enters the
// store, whether it comes from HTTP, gossip or anti-entropy. This file only
// documents the folder; nothing imports package sync itself (it would
// shadow the standard library's).
package sync
