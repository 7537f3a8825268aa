using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Loupe.Infrastructure.Persistence.Migrations;

[DbContext(typeof(LoupeDbContext))]
[Migration("00000000000010_fair_job_claims")]
internal sealed class FairJobClaims : SqlFileMigration;
