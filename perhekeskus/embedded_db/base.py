"""Database backend for the embedded PostgreSQL: django.db.backends.postgresql that makes sure the server runs.

The server starts on the first connection (not when the settings are imported) and again on any later connection
after the postmaster died; while it cannot be started, connecting raises OperationalError (a 503 page, not a 500).
"""

import os

from django.db.backends.postgresql import base, client
from django.db.utils import OperationalError

from perhekeskus.embedded_db import ensure_running


class DatabaseClient(client.DatabaseClient):
    def runshell(self, parameters):
        self.connection.ensure_embedded_server()
        super().runshell(parameters)


class DatabaseWrapper(base.DatabaseWrapper):
    client_class = DatabaseClient

    def ensure_embedded_server(self):
        try:
            info = ensure_running(self.settings_dict["EMBEDDED_PGDATA"])
        except Exception as error:
            raise OperationalError(f"The embedded PostgreSQL could not be started: {error!r}") from error
        self.settings_dict["HOST"] = os.fspath(info.socket_dir)
        self.settings_dict["PORT"] = str(info.port or 5432)

    def get_connection_params(self):
        self.ensure_embedded_server()
        return super().get_connection_params()
