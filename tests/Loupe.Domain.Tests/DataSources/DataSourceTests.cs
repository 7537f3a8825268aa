using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;

namespace Loupe.Domain.Tests.DataSources;

public sealed class DataSourceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly ConnectionSettings Warehouse = ConnectionSettings.Postgresql("db.example.com", 5432, "warehouse", "reader", PostgresSslMode.Require);
    private static readonly EncryptedSecret SecretA = EncryptedSecret.Create("key-a", [1, 2, 3, 4]);
    private static readonly EncryptedSecret SecretB = EncryptedSecret.Create("key-b", [5, 6, 7, 8]);

    private static DataSource NewPostgres(EncryptedSecret? password = null) =>
        DataSource.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), "  Warehouse  ", Warehouse, password, DataSourceLimits.Default, Now);

    [Fact]
    public void Create_TrimsTheName_TakesTheTypeFromTheSettings_AndUsesTheDefaults()
    {
        var organizationId = Guid.CreateVersion7();

        var dataSource = DataSource.Create(Guid.CreateVersion7(), organizationId, "  Warehouse  ", Warehouse, SecretA, DataSourceLimits.Default, Now);

        dataSource.Name.ShouldBe("Warehouse");
        dataSource.OrganizationId.ShouldBe(organizationId);
        dataSource.Type.ShouldBe(DataSourceType.Postgresql);
        dataSource.Settings.ShouldBe(Warehouse);
        dataSource.HasPassword.ShouldBeTrue();
        dataSource.Password.ShouldBe(SecretA);
        dataSource.QueryTimeoutSeconds.ShouldBe(300);
        dataSource.MaxRows.ShouldBe(100_000);
        dataSource.CreatedAt.ShouldBe(Now);
        dataSource.UpdatedAt.ShouldBe(Now);
    }

    [Fact]
    public void Create_WhenThePolicyMaximumIsBelowTheDefault_DefaultsToTheMaximum() =>
        DataSource.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), "W", Warehouse, null, new DataSourceLimits(60), Now)
            .QueryTimeoutSeconds.ShouldBe(60);

    [Fact]
    public void Create_WithoutAnOrganization_IsRefused() =>
        Should.Throw<ArgumentException>(() => DataSource.Create(Guid.CreateVersion7(), Guid.Empty, "W", Warehouse, null, DataSourceLimits.Default, Now));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_WithoutAName_IsRefused(string name) =>
        Should.Throw<DomainException>(() => DataSource.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), name, Warehouse, null, DataSourceLimits.Default, Now))
            .Error.ShouldBe(DataSourceErrors.NameRequired);

    [Property]
    public Property Names_UpToTheLimitAreAccepted_AndLongerOnesRefused()
    {
        var names = Gen.Choose(1, DataSource.NameMaxLength * 2)
            .SelectMany(length => Gen.Elements('a', 'Z', '7', ' ', 'é', '-', '\t').ArrayOf(length))
            .Select(chars => new string(chars));

        return Prop.ForAll(names.ToArbitrary(), name =>
        {
            var trimmed = name.Trim();
            try
            {
                var dataSource = DataSource.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), name, Warehouse, null, DataSourceLimits.Default, Now);
                return dataSource.Name == trimmed && trimmed.Length is > 0 and <= DataSource.NameMaxLength;
            }
            catch (DomainException refused)
            {
                return trimmed.Length == 0
                    ? refused.Error == DataSourceErrors.NameRequired
                    : refused.Error == DataSourceErrors.NameTooLong && trimmed.Length > DataSource.NameMaxLength;
            }
        });
    }

    [Property]
    public Property QueryTimeout_IsAcceptedBetweenOneAndThePolicyMaximum()
    {
        var cases = Gen.Choose(1, 7200).SelectMany(max => Gen.Choose(-10, 8000).Select(seconds => (max, seconds)));

        return Prop.ForAll(cases.ToArbitrary(), pair =>
        {
            var limits = new DataSourceLimits(pair.max);
            try
            {
                var dataSource = DataSource.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), "W", Warehouse, null, limits, Now, queryTimeoutSeconds: pair.seconds);
                return dataSource.QueryTimeoutSeconds == pair.seconds && pair.seconds >= 1 && pair.seconds <= pair.max;
            }
            catch (DomainException refused)
            {
                return refused.Error == DataSourceErrors.QueryTimeoutOutOfRange(pair.max) && (pair.seconds < 1 || pair.seconds > pair.max);
            }
        });
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(10_000_000, true)]
    [InlineData(10_000_001, false)]
    [InlineData(-5, false)]
    public void MaxRows_IsBetweenOneAndTenMillion(int maxRows, bool accepted)
    {
        var create = () => DataSource.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), "W", Warehouse, null, DataSourceLimits.Default, Now, maxRows: maxRows);

        if (accepted)
        {
            create().MaxRows.ShouldBe(maxRows);
        }
        else
        {
            Should.Throw<DomainException>(create).Error.ShouldBe(DataSourceErrors.MaxRowsOutOfRange);
        }
    }

    [Fact]
    public void Rename_ToTheSameName_ChangesNothing_AndToANewOne_MovesUpdatedAt()
    {
        var dataSource = NewPostgres();

        dataSource.Rename(" Warehouse ", Now.AddHours(1));
        dataSource.UpdatedAt.ShouldBe(Now);

        dataSource.Rename("Lake", Now.AddHours(2));
        dataSource.Name.ShouldBe("Lake");
        dataSource.UpdatedAt.ShouldBe(Now.AddHours(2));
    }

    [Fact]
    public void ChangeConnection_WithTheSameSettings_KeepsThePassword_AndRefusesAnotherType()
    {
        var dataSource = NewPostgres(SecretA);

        dataSource.ChangeConnection(Warehouse, PasswordChange.Keep, Now.AddHours(1));

        dataSource.Password.ShouldBe(SecretA);
        dataSource.UpdatedAt.ShouldBe(Now);
        Should.Throw<DomainException>(() => dataSource.ChangeConnection(ConnectionSettings.Sqlite("data/app.db"), PasswordChange.Clear, Now))
            .Error.ShouldBe(DataSourceErrors.TypeCannotChange);
    }

    [Fact]
    public void ChangeConnection_ToAnotherHost_WithoutThePassword_IsRefused_AndChangesNothing()
    {
        var dataSource = NewPostgres(SecretA);
        var attacker = ConnectionSettings.Postgresql("attacker.example.net", 5432, "warehouse", "reader", PostgresSslMode.Require);

        Should.Throw<DomainException>(() => dataSource.ChangeConnection(attacker, PasswordChange.Keep, Now.AddHours(1)))
            .Error.ShouldBe(DataSourceErrors.PasswordRequired);

        dataSource.Settings.ShouldBe(Warehouse);
        dataSource.Password.ShouldBe(SecretA);
        dataSource.UpdatedAt.ShouldBe(Now);
        DataSourceErrors.PasswordRequired.Code.ShouldBe("datasource.password_required");
        DataSourceErrors.PasswordRequired.Kind.ShouldBe(DomainErrorKind.Unprocessable);
    }

    [Fact]
    public void ChangeConnection_ToAnotherHost_WithThePasswordAgain_OrCleared_IsAccepted()
    {
        var dataSource = NewPostgres(SecretA);
        var moved = ConnectionSettings.Postgresql("db2.example.com", 6432, "warehouse", "reader");

        dataSource.ChangeConnection(moved, PasswordChange.Set(SecretB), Now.AddHours(1));
        dataSource.Settings.ShouldBe(moved);
        dataSource.Password.ShouldBe(SecretB);
        dataSource.UpdatedAt.ShouldBe(Now.AddHours(1));

        dataSource.ChangeConnection(Warehouse, PasswordChange.Clear, Now.AddHours(2));
        dataSource.Settings.ShouldBe(Warehouse);
        dataSource.HasPassword.ShouldBeFalse();

        // Without a stored password there is nothing to follow the host.
        dataSource.ChangeConnection(moved, PasswordChange.Keep, Now.AddHours(3));
        dataSource.Settings.ShouldBe(moved);
    }

    /// <summary>
    /// Over random pairs of settings and every kind of password change: keeping a stored password is
    /// refused exactly when any of host, port, database, user name or SSL mode differs; otherwise the
    /// change applies as asked.
    /// </summary>
    [Property]
    public Property KeepingTheStoredPassword_IsRefusedExactlyWhenAnySettingOfWhereItGoesChanges()
    {
        var settings =
            from host in Gen.Elements("db.example.com", "DB.example.com", "10.0.0.5", "db2.example.com")
            from port in Gen.Elements(5432, 5433, 6432)
            from database in Gen.Elements("warehouse", "postgres")
            from username in Gen.Elements("reader", "postgres")
            from sslMode in Gen.Elements(Enum.GetValues<PostgresSslMode>())
            select ConnectionSettings.Postgresql(host, port, database, username, sslMode);
        var changes = Gen.Elements(PasswordChange.Keep, PasswordChange.Clear, PasswordChange.Set(SecretB));
        var cases =
            from before in settings
            from after in settings
            from stored in Gen.Elements(true, false)
            from change in changes
            select (before, after, stored, change);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var dataSource = DataSource.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), "W", c.before, c.stored ? SecretA : null, DataSourceLimits.Default, Now);
            var moves = c.before.Host != c.after.Host || c.before.Port != c.after.Port || c.before.Database != c.after.Database
                || c.before.Username != c.after.Username || c.before.SslMode != c.after.SslMode;
            var mustRefuse = moves && c.stored && c.change.Kind == PasswordChangeKind.Keep;
            try
            {
                dataSource.ChangeConnection(c.after, c.change, Now.AddHours(1));
                var expectedPassword = c.change.Kind switch
                {
                    PasswordChangeKind.Set => SecretB,
                    PasswordChangeKind.Clear => null,
                    _ => c.stored ? SecretA : null,
                };
                return !mustRefuse && dataSource.Settings == c.after && Equals(dataSource.Password, expectedPassword);
            }
            catch (DomainException refused)
            {
                return mustRefuse && refused.Error == DataSourceErrors.PasswordRequired
                    && dataSource.Settings == c.before && Equals(dataSource.Password, SecretA);
            }
        });
    }

    [Property]
    public Property ChangingTheSqlitePath_NeverNeedsAPassword()
    {
        var paths = Gen.Elements("a.db", "data/app.db", "other/b.sqlite");
        return Prop.ForAll(paths.ToArbitrary(), paths.ToArbitrary(), (before, after) =>
        {
            var dataSource = DataSource.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), "S", ConnectionSettings.Sqlite(before), null, DataSourceLimits.Default, Now);
            dataSource.ChangeConnection(ConnectionSettings.Sqlite(after), PasswordChange.Keep, Now);
            return dataSource.Settings.Path == after && !dataSource.HasPassword;
        });
    }

    [Fact]
    public void ChangeLimits_ChecksBothValues()
    {
        var dataSource = NewPostgres();

        dataSource.ChangeLimits(30, 500, DataSourceLimits.Default, Now.AddHours(1));

        dataSource.QueryTimeoutSeconds.ShouldBe(30);
        dataSource.MaxRows.ShouldBe(500);
        Should.Throw<DomainException>(() => dataSource.ChangeLimits(30, 0, DataSourceLimits.Default, Now)).Error.ShouldBe(DataSourceErrors.MaxRowsOutOfRange);
        Should.Throw<DomainException>(() => dataSource.ChangeLimits(61, 10, new DataSourceLimits(60), Now)).Error.Code.ShouldBe("datasource.query_timeout_out_of_range");
        dataSource.QueryTimeoutSeconds.ShouldBe(30);
    }

    [Fact]
    public void ReplacePassword_AndClearPassword_TrackHasPassword()
    {
        var dataSource = NewPostgres();
        dataSource.HasPassword.ShouldBeFalse();

        dataSource.ReplacePassword(SecretA, Now.AddHours(1));
        dataSource.HasPassword.ShouldBeTrue();

        dataSource.ReplacePassword(SecretB, Now.AddHours(2));
        dataSource.Password.ShouldBe(SecretB);

        dataSource.ClearPassword(Now.AddHours(3));
        dataSource.HasPassword.ShouldBeFalse();
        dataSource.Password.ShouldBeNull();
        dataSource.UpdatedAt.ShouldBe(Now.AddHours(3));
    }

    [Fact]
    public void Sqlite_TakesNoPassword()
    {
        var settings = ConnectionSettings.Sqlite("sales/2026.db");

        Should.Throw<DomainException>(() => DataSource.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), "S", settings, SecretA, DataSourceLimits.Default, Now))
            .Error.ShouldBe(DataSourceErrors.PasswordNotSupported);
        var dataSource = DataSource.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), "S", settings, null, DataSourceLimits.Default, Now);
        dataSource.Type.ShouldBe(DataSourceType.Sqlite);
        Should.Throw<DomainException>(() => dataSource.ReplacePassword(SecretA, Now)).Error.ShouldBe(DataSourceErrors.PasswordNotSupported);
    }

    [Fact]
    public void EncryptedSecret_ComparesByValue_AndNeverPrintsItsBytes()
    {
        EncryptedSecret.Create("key-a", [1, 2, 3, 4]).ShouldBe(SecretA);
        EncryptedSecret.Create("key-a", [1, 2, 3, 4]).GetHashCode().ShouldBe(SecretA.GetHashCode());
        EncryptedSecret.Create("key-b", [1, 2, 3, 4]).ShouldNotBe(SecretA);
        SecretA.ToString().ShouldBe("EncryptedSecret(key key-a, 4 bytes)");
        Should.Throw<ArgumentException>(() => EncryptedSecret.Create("key a", [1]));
        Should.Throw<ArgumentException>(() => EncryptedSecret.Create("key-a", []));
    }

    [Fact]
    public void PrivilegedAccounts_AreNotAllowedUnlessAskedFor_AndTheChangeIsReported()
    {
        var dataSource = NewPostgres();
        var allowed = DataSource.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), "W", Warehouse, null, DataSourceLimits.Default, Now, allowPrivilegedAccount: true);
        var later = Now.AddMinutes(1);

        dataSource.AllowPrivilegedAccount.ShouldBeFalse();
        allowed.AllowPrivilegedAccount.ShouldBeTrue();
        dataSource.ChangePrivilegedAccountPolicy(false, later).ShouldBeFalse();
        dataSource.UpdatedAt.ShouldBe(Now);
        dataSource.ChangePrivilegedAccountPolicy(true, later).ShouldBeTrue();
        dataSource.AllowPrivilegedAccount.ShouldBeTrue();
        dataSource.UpdatedAt.ShouldBe(later);
    }

    [Fact]
    public void ThePrivilegedAccountRefusal_NamesWhatIsHeld_AndGivesTheSqlForAReader_WithTheDatabaseQuoted()
    {
        var error = PrivilegedAccounts.Refused(["rolsuper", "pg_read_server_files"], "sales \"eu\"");

        error.Code.ShouldBe("datasource.privileged_account");
        error.Kind.ShouldBe(DomainErrorKind.Unprocessable);
        error.Message.ShouldContain("(rolsuper, pg_read_server_files)");
        error.Message.ShouldContain("CREATE ROLE loupe_reader LOGIN");
        error.Message.ShouldContain("GRANT CONNECT ON DATABASE \"sales \"\"eu\"\"\" TO loupe_reader;");
        error.Message.ShouldContain("allow_privileged_account");
    }

    [Fact]
    public void ADataSourceNoSavedQueryUses_CanBeDeleted() => DataSource.EnsureCanBeDeleted(0, 0);

    [Theory]
    [InlineData(1, 0, "1 saved query uses this data source.")]
    [InlineData(3, 2, "3 saved queries use this data source (2 of them archived")]
    public void ADataSourceSavedQueriesUse_IsInUse_NamingHowManyToMove(int used, int archived, string said)
    {
        var refused = Should.Throw<DomainException>(() => DataSource.EnsureCanBeDeleted(used, archived));

        refused.Error.Code.ShouldBe("datasource.in_use");
        refused.Error.Kind.ShouldBe(DomainErrorKind.Conflict);
        refused.Error.Message.ShouldContain(said);
    }
}
