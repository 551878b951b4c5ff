"""PostgreSQL for the test run, emptying the tables with DELETE rather than TRUNCATE.

After each test that commits for real (the browser tests, `transaction=True`), Django
empties every table with the `flush` command. On PostgreSQL that is one TRUNCATE of
every table, which makes each table and index a new file: 0.38 s for the project's 98
tables on this machine, while the tests leave a few rows in a few of them. DELETE of
every table took 0.01-0.07 s. Every foreign key Django makes on PostgreSQL is
DEFERRABLE INITIALLY DEFERRED, and `flush` runs its statements in one transaction, so the
order of the DELETEs does not matter; a key that could not be deferred would fail the
flush loudly, not leave rows behind. Sequences are reset only on request, as before.
"""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [
            "SET CONSTRAINTS ALL DEFERRED;",
            *(
                f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
                for table in tables
            ),
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
