using System.Net.Sockets;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Loupe.Infrastructure.Tests.Persistence;

/// <summary>Which failures of Loupe's own database a job is retried for (transient) and which it fails for.</summary>
public sealed class DatabaseFailuresTests
{
    [Theory]
    [InlineData("08006", true)] // connection failure
    [InlineData("08001", true)]
    [InlineData("53300", true)] // too many connections
    [InlineData("53100", true)] // disk full
    [InlineData("57P01", true)] // admin shutdown
    [InlineData("57P02", true)] // crash shutdown
    [InlineData("57P03", true)] // cannot connect now (starting up)
    [InlineData("40001", true)] // serialization failure
    [InlineData("40P01", true)] // deadlock
    [InlineData("55P03", true)] // lock not available
    [InlineData("42P01", false)] // undefined table
    [InlineData("42501", false)] // insufficient privilege
    [InlineData("23505", false)] // unique violation
    [InlineData("22012", false)] // division by zero
    [InlineData("57014", false)] // query cancelled: Loupe's own statement timeout is not passing
    [InlineData("XX000", false)]
    public void APostgresError_IsTransient_OnlyForStatesThatPass(string sqlState, bool transient)
    {
        DatabaseFailures.IsTransient(Postgres(sqlState)).ShouldBe(transient);
        DatabaseFailures.IsTransientState(sqlState).ShouldBe(transient);
    }

    [Fact]
    public void NetworkFailuresOfNpgsql_AreTransient_ButOtherIOErrorsCancellationAndBugsAreNot()
    {
        DatabaseFailures.IsTransient(new NpgsqlException("Exception while reading from stream", new IOException("reset"))).ShouldBeTrue();
        DatabaseFailures.IsTransient(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))).ShouldBeTrue();
        DatabaseFailures.IsTransient(new NpgsqlException("Exception while reading from stream", new TimeoutException())).ShouldBeTrue();

        // A request body that could not be read (ASP.NET Core's BadHttpRequestException is an IOException).
        DatabaseFailures.IsTransient(new IOException("Unexpected end of request content.", new System.Text.Json.JsonException())).ShouldBeFalse();
        DatabaseFailures.IsTransient(new TimeoutException("not the database")).ShouldBeFalse();
        DatabaseFailures.IsTransient(new OperationCanceledException()).ShouldBeFalse();
        DatabaseFailures.IsTransient(new InvalidOperationException("a bug")).ShouldBeFalse();
        DatabaseFailures.IsTransient(new ArgumentNullException("value")).ShouldBeFalse();
    }

    [Property]
    public Property WrappingAFailure_InAnyChainOfOtherExceptions_NeverChangesItsVerdict()
    {
        var states = new[] { "08006", "53300", "57P01", "40001", "42P01", "23505", "22P02", "XX000" };
        var failures = Gen.Elements(states).Select(s => (Exception)Postgres(s))
            .Or(Gen.Elements<Exception>(
                new NpgsqlException("reading failed", new IOException()), new TimeoutException(), new IOException(), new InvalidOperationException("bug"), new FormatException()));
        var wrappers = Gen.Elements<Func<Exception, Exception>>(
            inner => new InvalidOperationException("outer", inner),
            inner => new DbUpdateException("saving failed", inner),
            inner => new AggregateException(inner),
            inner => new IOException("outer", inner));
        var cases = failures.SelectMany(failure => wrappers.ListOf().Select(chain => (Failure: failure, Chain: chain)));

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var wrapped = c.Chain.Aggregate(c.Failure, (inner, wrap) => wrap(inner));
            return DatabaseFailures.IsTransient(wrapped) == DatabaseFailures.IsTransient(c.Failure);
        });
    }

    private static PostgresException Postgres(string sqlState) => new("message", "ERROR", "ERROR", sqlState);
}
