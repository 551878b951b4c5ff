"""SQLite for the test run, with each test database copied from a migrated template.

Django applies every migration to each test database it creates, which costs each
pytest-xdist process about 12 CPU-seconds. `make test` migrates one SQLite file first and
names it in TEST_DATABASE_TEMPLATE; lms/settings/test.py then selects this backend, which
copies that file into place, so that `migrate` finds nothing left to apply.
"""

import shutil

from django.db.backends.sqlite3 import base, creation


class DatabaseCreation(creation.DatabaseCreation):
    def _create_test_db(self, verbosity, autoclobber, keepdb=False):
        name = super()._create_test_db(verbosity, autoclobber, keepdb)
        template = self.connection.settings_dict["TEST"].get("TEMPLATE")
        if template and not keepdb and not self.is_in_memory_db(name):
            shutil.copyfile(template, name)
        return name


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
