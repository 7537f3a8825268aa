using Loupe.Application.Common.Concurrency;
using Loupe.Domain.DataSources;
using Mapster;

namespace Loupe.Application.DataSources;

/// <summary>
/// How a data source is answered: its type and SSL mode by wire name, its connection settings,
/// and only whether it has a password — never the password, clear or encrypted
/// (<see cref="DataSourceDto"/> and <see cref="DataSourceSettingsDto"/> have no member for it).
/// Mapped in memory, not projected: <c>has_password</c> comes from the encrypted columns the
/// aggregate keeps private, and the answer needs nearly every other column anyway.
/// </summary>
internal sealed class DataSourceMappings : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        config.NewConfig<ConnectionSettings, DataSourceSettingsDto>()
            .Map(d => d.SslMode, s => s.SslMode == null ? null : s.SslMode.Value.ToName());
        config.NewConfig<DataSource, DataSourceDto>()
            .Map(d => d.Type, s => DataSourceTypes.ToName(s.Type));
        config.NewConfig<DataSource, Versioned<DataSourceDto>>()
            .Map(d => d.Value, s => s)
            .Map(d => d.RowVersion, s => s.RowVersion);
    }
}
