using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Loupe.Infrastructure.Persistence.Migrations;

[DbContext(typeof(LoupeDbContext))]
[Migration("00000000000012_job_trace_context")]
internal sealed class JobTraceContext : SqlFileMigration;
