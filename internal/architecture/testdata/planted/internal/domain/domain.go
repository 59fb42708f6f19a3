// Package domain breaks its rule: it imports a module package.
package domain

import _ "example.com/planted/internal/postgres"
