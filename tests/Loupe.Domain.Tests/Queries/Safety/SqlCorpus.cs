namespace Loupe.Domain.Tests.Queries.Safety;

/// <summary>SQL texts the safety check must refuse, and tricky ones it must allow.</summary>
public static class SqlCorpus
{
    /// <summary>Hand-written attacks; <see cref="Malicious"/> adds every denied function in several spellings.</summary>
    public static readonly string[] Attacks =
    [
        // Writes.
        "insert into t values (1)",
        "INSERT INTO t SELECT * FROM u",
        "update t set a = 1",
        "delete from t",
        "DELETE FROM t WHERE true",
        "merge into t using s on t.id = s.id when matched then delete",
        "truncate t",
        "TRUNCATE TABLE t CASCADE",
        "(delete from t)",

        // DDL and privileges.
        "create table x (a int)",
        "CREATE TABLE x AS SELECT 1",
        "drop table t",
        "DROP DATABASE loupe",
        "alter table t add column c int",
        "ALTER ROLE app SUPERUSER",
        "grant all on t to public",
        "revoke select on t from app",
        "comment on table t is 'x'",
        "create function f() returns int language sql as $$ select 1 $$",
        "create extension dblink",

        // More than one statement.
        "select 1; delete from t",
        "select 1;select 2",
        "select 1 /* ; */ ; drop table t",
        "select 1 /* /* */ */ ; drop table t",
        "select 1 /* a /* b */ c */ ; delete from t",
        "select 1 -- x\n; drop table t",
        "select ';'; drop table t",
        "select $$;$$; drop table t",
        "select \"x;\" from t; drop table t",
        "select E'\\';'; drop table t",
        "select 1;\n\nvacuum",

        // SELECT ... INTO.
        "select * into backup from t",
        "SELECT 1 INTO TEMP x",
        "with a as (select 1) select * into b from a",
        "select 1into x",
        "select a, b into unlogged table c from t",

        // Row locks.
        "select * from t for update",
        "select * from t FOR NO KEY UPDATE",
        "select * from t for share",
        "select * from t for key share",
        "select * from (select * from t for update) s",
        "select * from t for update skip locked",
        "select * from t for update of t nowait",
        "select * from t for /* sneaky */ update",

        // EXPLAIN ANALYZE runs its statement.
        "EXPLAIN ANALYZE DELETE FROM t",
        "explain (analyze) delete from t",
        "explain (analyze, buffers) insert into t values (1)",
        "explain analyze verbose update t set a = 1",
        "explain analyse with x as (delete from t returning *) select * from x",
        "explain analyze create table x as select 1",
        "explain analyze select * into x from t",
        "explain delete from t",
        "explain",

        // Data-modifying WITH.
        "WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x",
        "with x as (insert into t values (1) returning *) select 1",
        "with x as (update t set a = 1 returning *) select 1",
        "with x as (select 1) delete from t",
        "with x as (select 1) insert into t select * from x",
        "with x as (merge into t using s on true when matched then do nothing) select 1",

        // Other statement kinds.
        "COPY t TO PROGRAM 'rm -rf /'",
        "copy (select 1) to '/tmp/x'",
        "copy t from stdin",
        "DO $$ begin perform pg_sleep(1); end $$",
        "do $body$ begin delete from t; end $body$",
        "CALL p()",
        "SET search_path = evil",
        "set role postgres",
        "reset all",
        "LOCK TABLE t",
        "VACUUM t",
        "analyze t",
        "LISTEN ch",
        "NOTIFY ch, 'x'",
        "unlisten *",
        "PREPARE p AS SELECT 1",
        "EXECUTE p",
        "deallocate p",
        "begin",
        "commit",
        "rollback",
        "discard all",
        "checkpoint",
        "reindex table t",
        "cluster t",
        "refresh materialized view m",
        "load 'plpgsql'",
        "declare c cursor for select 1",
        "fetch c",
        "\"select\" 1",
        "$1",
        "(",

        // SQL given as text to a function that runs it: the text is data to the scanner, so the
        // function itself must be refused (it undid the superuser demotion and read server files).
        "select b.word from ts_stat($$select to_tsvector('simple', set_config('role','postgres',true))$$) a, ts_stat($$select to_tsvector('simple', current_user || ' ' || pg_read_file('/etc/passwd'))$$) b",
        "select * from ts_stat($$select to_tsvector('simple', pg_ls_dir('.')::text)$$)",
        "select ts_rewrite('a'::tsquery, $$select 'a'::tsquery, set_config('statement_timeout', '0', false)::tsquery$$)",
        "select query_to_xml($$select set_config('role', 'postgres', true)$$, true, true, '')",
        "select * from crosstab($$select 1, 2, pg_sleep(10)::text$$) as c(a int, b text)",

        // WAL and state a READ ONLY transaction still writes and a rollback keeps.
        "select pg_logical_emit_message(false, 'loupe', repeat('x', 1000)) from generate_series(1, 10)",
        "select pg_create_physical_replication_slot('loupe_slot')",
        "select txid_current()",

        // Extensions that rewrite pages or read every table's rows out of the WAL (ADR 0026).
        "select heap_force_kill('t'::regclass, array['(0,1)'::tid])",
        "select block_fpi_data from pg_get_wal_block_info('0/0', pg_current_wal_lsn()) where relfilenode = 1260",

        // Empty.
        "",
        "   \n\t",
        ";",
        "-- only a comment",
        "/* only a comment */ ;",

        // Never closed.
        "select 'abc",
        "select E'abc\\'",
        "select e'it''s",
        "select \"abc",
        "select $$abc",
        "select $tag$abc$TAG$",
        "select 1 /* abc",
        "select 1 /* /* */",
        "select U&\"abc",
        "select U&'abc",
        "select b'1010",

        // Unicode escapes cannot smuggle a denied name.
        "select U&\"pg\\005fread_file\"('/etc/passwd')",
        "select u&\"pg\\005Fsleep\" (1)",
        "select U&\"pg!005fread_file\" UESCAPE '!' ('/etc/passwd')",
        "select U&\"\\zzzz\" from t",
        "select U&\"x\" uescape 'ab' from t",
    ];

    /// <summary>Denied functions (matched exactly or by prefix), each tried in several spellings.</summary>
    public static readonly string[] DeniedFunctionNames =
    [
        "pg_read_file", "pg_read_binary_file", "pg_ls_dir", "pg_stat_file", "pg_ls_logdir", "pg_ls_waldir",
        "pg_ls_tmpdir", "pg_ls_archive_statusdir", "pg_file_write", "pg_file_rename", "pg_file_unlink",
        "lo_import", "lo_export", "lo_from_bytea", "lo_put", "lo_unlink", "lo_create", "lo_open", "lowrite",
        "loread", "lo_truncate",
        "dblink", "dblink_exec", "dblink_connect", "dblink_send_query",
        "pg_cancel_backend", "pg_terminate_backend", "pg_signal_backend",
        "set_config", "pg_reload_conf", "pg_rotate_logfile", "pg_promote", "pg_switch_wal",
        "pg_create_restore_point", "pg_start_backup", "pg_stop_backup", "pg_backup_start", "pg_backup_stop",
        "pg_advisory_lock", "pg_advisory_xact_lock_shared", "pg_advisory_unlock_all", "pg_try_advisory_lock",
        "pg_sleep", "pg_sleep_for", "pg_sleep_until",
        "query_to_xml", "query_to_xml_and_xmlschema", "table_to_xml", "cursor_to_xml", "database_to_xml",
        "ts_stat", "ts_rewrite", "query_to_xmlschema", "cursor_to_xmlschema", "schema_to_xml", "table_to_xmlschema",
        "database_to_xmlschema", "crosstab", "crosstab_hash", "connectby", "xpath_table",
        "pg_logical_emit_message", "txid_current", "pg_current_xact_id", "pg_create_physical_replication_slot",
        "pg_create_logical_replication_slot", "pg_replication_origin_create", "pg_logical_slot_get_changes",
        "pg_stat_reset", "pg_stat_reset_shared", "brin_summarize_new_values", "gin_clean_pending_list",
        "pg_import_system_collations", "pg_nextoid", "pg_log_backend_memory_contexts", "binary_upgrade_set_next_pg_type_oid",

        // Found by the search of PostgreSQL 14 to 18 and their common extensions (ADR 0026).
        "pg_file_read", "pg_file_length", "pg_logfile_rotate", "pg_read_file_old", "pg_rotate_logfile_old", "pg_available_wal_summaries", "pg_wal_summary_contents",
        "pg_hba_file_rules", "pg_ident_file_mappings", "pg_show_all_file_settings",
        "pg_ls_logicalmapdir", "pg_ls_logicalsnapdir", "pg_ls_replslotdir", "pg_ls_summariesdir",
        "pg_get_wal_record_info", "pg_get_wal_records_info", "pg_get_wal_records_info_till_end_of_wal",
        "pg_get_wal_stats", "pg_get_wal_stats_till_end_of_wal", "pg_get_wal_block_info",
        "heap_force_kill", "heap_force_freeze", "pg_truncate_visibility_map",
        "pg_buffercache_evict", "pg_buffercache_evict_relation", "pg_buffercache_evict_all",
        "autoprewarm_dump_now", "autoprewarm_start_worker", "bt_index_parent_check",
    ];

    private static readonly Func<string, string>[] Spellings =
    [
        name => $"select {name}(1)",
        name => $"SELECT {name.ToUpperInvariant()} (1) FROM t",
        name => $"select pg_catalog.{name}(1)",
        name => $"select \"{name}\"('x')",
        name => $"select \"pg_catalog\" . \"{name}\" /* c */ ('x')",
        name => $"select {name} /* c */ -- c\n\t(1)",
        name => $"select * from (select a from t where b = {name}(1)) s",
        name => $"with c as (select {name}(1)) select * from c",
    ];

    /// <summary>Each denied function name with one of its spellings.</summary>
    public static readonly (string Name, string Sql)[] DeniedFunctionCalls =
    [
        .. DeniedFunctionNames.SelectMany(name => Spellings.Select(spell => (name, spell(name)))),
    ];

    public static readonly string[] Malicious =
    [
        .. Attacks,
        .. DeniedFunctionCalls.Select(call => call.Sql),
    ];

    public static readonly string[] Benign =
    [
        "select 'delete from t'",
        "select 1 -- drop table t",
        "select $$; drop table t$$",
        "select \"delete\" from \"update\"",
        "select pg_read_file_count from stats",
        "select \"PG_READ_FILE\"('x')",
        "select E'it\\'s; drop'",
        "select e'\\\\'",
        "select E'\\''",
        "with x as (select 1 as a) select a from x",
        "WITH RECURSIVE r(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT n FROM r",
        "select sum(x) over (partition by y order by z rows between 1 preceding and current row) from t",
        "select * from t where id = $1",
        "select $1::int + $2",
        "explain select 1",
        "EXPLAIN (ANALYZE) SELECT 1",
        "explain analyze select * from t",
        "explain (format json, costs off) with x as (select 1) select * from x",
        "SHOW search_path",
        "show all",
        "TABLE t",
        "VALUES (1),(2)",
        "values (1, 'a'), (2, 'b') order by 1",
        "select 1;",
        "select 1; -- done",
        "  select 1 ;  /* trailing */  -- and more\n",
        "select 1;;  ",
        "select 1 /* /* */ ; drop table t */",
        "/* leading comment */ select 1",
        "-- leading\nselect 1",
        "select $tag$ it's $$ not closed; delete $tag$",
        "select $a$ don't $b$ $a$",
        "select 'it''s; delete from t'",
        "select \"a\"\"; drop table t\" from t",
        "select 1 as \"select 1; delete from t\"",
        "select U&'d\\0061t\\+000061; delete'",
        "select U&\"d\\0061ta\" from t",
        "select \"into\", \"for\" from t",
        "select for_update, update_count, deleted_at, inserted_by from t",
        "select lo_import_count, dblinks, pg_sleep from t",
        "select \"pg_sleep\" from t",
        "select \"pg_catalog\".\"PG_SLEEP\"(1)",
        "select count(*) from pg_stat_activity",
        "select now(), current_date, version()",
        "(select 1) union (select 2)",
        "select a.b::text, c[1], d->>'k' from t a",
        "select * from t where name like '%;%' and x <> 3",
        "select 'pg_sleep(10)'",
        "select /* pg_sleep(10) */ 1",
        "select b'1010', x'ff', n'text'",
        "select x from t where y in (select y from u) order by x desc limit 10 offset 5",
        "select 1e5, 0.5, 1_000, 0xff",
        "SELECT 1 -- it's fine\n",
        "select * from t tablesample system (10)",
        "select 'ts_stat(x)', ts_rank(to_tsvector('simple', 'a b'), to_tsquery('simple', 'a'))",
        "select txid_current_if_assigned(), pg_current_xact_id_if_assigned(), ts_stat_count from (select 1 as ts_stat_count) s",
    ];
}
