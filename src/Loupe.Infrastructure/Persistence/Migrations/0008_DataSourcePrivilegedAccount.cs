using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Loupe.Infrastructure.Persistence.Migrations;

[DbContext(typeof(LoupeDbContext))]
[Migration("00000000000008_data_source_privileged_account")]
internal sealed class DataSourcePrivilegedAccount : SqlFileMigration;
