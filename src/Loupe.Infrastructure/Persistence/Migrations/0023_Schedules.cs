using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Loupe.Infrastructure.Persistence.Migrations;

[DbContext(typeof(LoupeDbContext))]
[Migration("00000000000023_schedules")]
internal sealed class Schedules : SqlFileMigration;
