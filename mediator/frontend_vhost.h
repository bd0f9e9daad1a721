/* SPDX-License-Identifier: GPL-2.0-only */
/* The vhost-user server (vhost-user/vhost_user.h) as a daemon frontend. */
#ifndef FRONTEND_VHOST_H
#define FRONTEND_VHOST_H

#include "frontend.h"

extern const struct frontend_ops vhost_user_frontend_ops;

#endif
