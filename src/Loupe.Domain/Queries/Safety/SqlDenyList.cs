using System.Collections.Frozen;

namespace Loupe.Domain.Queries.Safety;

/// <summary>
/// The one place that lists functions a saved query may never call, whatever the database
/// permissions say. Names are compared as PostgreSQL resolves them: unquoted names are folded to
/// lower case before the lookup, quoted names are compared exactly (so <c>"PG_READ_FILE"</c> is a
/// different, harmless name). Schema qualification does not matter: only the function name counts.
/// </summary>
public static class SqlDenyList
{
    /// <summary>Exact function names, grouped by what makes them dangerous.</summary>
    public static readonly FrozenSet<string> Functions = new[]
    {
        // File system access on the database server.
        "pg_read_file", "pg_read_binary_file", "pg_ls_dir", "pg_stat_file", "pg_ls_logdir",
        "pg_ls_waldir", "pg_ls_tmpdir", "pg_ls_archive_statusdir", "pg_file_write", "pg_file_rename",
        "pg_file_unlink", "pg_file_sync", "pg_logdir_ls", "pg_file_read", "pg_file_length",
        "pg_read_file_old",
        "pg_available_wal_summaries", "pg_wal_summary_contents",

        // The server's configuration files, read and returned: pg_hba.conf, pg_ident.conf,
        // postgresql.conf with its includes (which may hold a replication password).
        "pg_hba_file_rules", "pg_ident_file_mappings", "pg_show_all_file_settings",

        // pg_walinspect: reads the WAL files on the server's disk, full page images included, so
        // rows of every table whatever the account may read.
        "pg_get_wal_record_info", "pg_get_wal_records_info", "pg_get_wal_records_info_till_end_of_wal",
        "pg_get_wal_stats", "pg_get_wal_stats_till_end_of_wal", "pg_get_wal_block_info",

        // Large objects: import/export server files and write storage.
        "lo_import", "lo_export", "lo_from_bytea", "lo_put", "lo_unlink", "lo_create", "lo_creat",
        "lo_open", "lowrite", "loread", "lo_truncate", "lo_truncate64",

        // Signalling other backends.
        "pg_cancel_backend", "pg_terminate_backend", "pg_signal_backend",

        // Server configuration, logs, WAL and backups.
        "set_config", "pg_reload_conf", "pg_rotate_logfile", "pg_rotate_logfile_old", "pg_logfile_rotate", "pg_promote", "pg_switch_wal",
        "pg_create_restore_point", "pg_start_backup", "pg_stop_backup", "pg_backup_start",
        "pg_backup_stop",

        // Sleeping: holds a connection and a pool slot for as long as asked.
        "pg_sleep", "pg_sleep_for", "pg_sleep_until",

        // Functions that run SQL of their own (a text argument, a cursor, or a query they build from
        // names) through the server's SPI, out of the scanner's sight: inside that text set_config,
        // pg_sleep or any other denied call is just a string. How the list was found: ADR 0026.
        "ts_stat", "ts_rewrite",
        "query_to_xml", "query_to_xml_and_xmlschema", "query_to_xmlschema",
        "cursor_to_xml", "cursor_to_xmlschema",
        "table_to_xml", "table_to_xml_and_xmlschema", "table_to_xmlschema",
        "schema_to_xml", "schema_to_xml_and_xmlschema", "schema_to_xmlschema",
        "database_to_xml", "database_to_xml_and_xmlschema", "database_to_xmlschema",

        // The same from common extensions: tablefunc, xml2, pg_background.
        "connectby", "xpath_table", "pg_background_launch",

        // WAL and server state written from a READ ONLY transaction, kept after its rollback
        // (measured on the test server, ADR 0026): WAL messages, transaction ids, replication slots
        // and origins, statistics resets, index maintenance an owner may run, catalog helpers.
        "pg_logical_emit_message", "txid_current", "pg_current_xact_id",
        "pg_create_physical_replication_slot", "pg_create_logical_replication_slot", "pg_drop_replication_slot",
        "pg_copy_physical_replication_slot", "pg_copy_logical_replication_slot", "pg_replication_slot_advance",
        "pg_sync_replication_slots", "pg_wal_replay_pause", "pg_wal_replay_resume", "pg_log_standby_snapshot",
        "pg_log_backend_memory_contexts", "pg_import_system_collations", "pg_nextoid", "pg_stop_making_pinned_objects",
        "brin_summarize_new_values", "brin_summarize_range", "brin_desummarize_range", "gin_clean_pending_list",
        "pg_restore_relation_stats", "pg_restore_attribute_stats", "pg_clear_relation_stats", "pg_clear_attribute_stats",
        "pg_stat_statements_reset",

        // Extensions that change the server from a READ ONLY transaction (ADR 0026): pg_surgery and
        // pg_visibility rewrite pages and write WAL, pg_buffercache evicts (and so writes) shared
        // buffers, pg_prewarm writes a file in the data directory or starts a background worker, and
        // amcheck's parent check holds a SHARE lock that blocks every writer of the table.
        "heap_force_kill", "heap_force_freeze", "pg_truncate_visibility_map",
        "pg_buffercache_evict", "pg_buffercache_evict_relation", "pg_buffercache_evict_all",
        "autoprewarm_dump_now", "autoprewarm_start_worker", "bt_index_parent_check",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Every function whose name starts with one of these is denied.</summary>
    public static readonly IReadOnlyList<string> Prefixes =
    [
        // Every pg_ls_*dir lists a directory of the server (logical mappings and snapshots,
        // replication slots and WAL summaries came in 15 and 18; more may follow).
        "pg_ls_",

        // dblink and friends open connections to other servers (or back to this one, outside our guard).
        "dblink",

        // Advisory locks outlive the query's transaction when session-level.
        "pg_advisory",
        "pg_try_advisory",

        // tablefunc's crosstab, crosstab2…4 and crosstab_hash run the SQL texts they are given.
        "crosstab",

        // State kept after a rollback: slot changes consumed, replication origins, statistics reset.
        "pg_logical_slot_",
        "pg_replication_origin_",
        "pg_stat_reset",

        // Only meaningful during pg_upgrade; never in a query.
        "binary_upgrade_",
    ];

    /// <summary>Whether a function with this name (already folded or unescaped) may not be called.</summary>
    public static bool IsDenied(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Functions.Contains(name))
        {
            return true;
        }

        foreach (var prefix in Prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
