package cli

import _ "example.com/planted/internal/postgres"
