using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Loupe.Infrastructure.Persistence.Migrations;

[DbContext(typeof(LoupeDbContext))]
[Migration("00000000000007_saved_queries")]
internal sealed class SavedQueries : SqlFileMigration;
