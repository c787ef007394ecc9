using System.CommandLine;

namespace AgentFlow.Cli.Commands;

/// <summary><c>agentflow keys ...</c>: create, list and revoke the API keys the server accepts.</summary>
internal static class KeysCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("keys", "Create, list and revoke API keys (stored hashed in the database the server uses).");

        var tenant = new Option<string>("--tenant") { Description = "The tenant the key belongs to; it sees only this tenant's workflows and executions.", Required = true };
        var scopes = new Option<string>("--scopes") { Description = "Comma-separated scopes: read, run, admin.", Required = true };
        var name = new Option<string?>("--name") { Description = "A label for people, shown by 'keys list'." };
        var expires = new Option<string?>("--expires") { Description = "Lifetime such as 30d or 12h, or an ISO 8601 time; never expires when omitted." };
        var create = new Command("create", "Create a key and print it once on stdout; only its hash is stored.") { tenant, scopes, name, expires };
        AddStoreOptions(create);
        create.SetAction((p, ct) => KeysActions.CreateAsync(Store(p, create, mustExist: false), p.GetRequiredValue(tenant), p.GetRequiredValue(scopes), p.GetValue(name), p.GetValue(expires), console, ct));
        command.Subcommands.Add(create);

        var listTenant = new Option<string?>("--tenant") { Description = "Only this tenant's keys." };
        var list = new Command("list", "List keys, oldest first, one JSON object per line (never the secret).") { listTenant };
        AddStoreOptions(list);
        list.SetAction((p, ct) => KeysActions.ListAsync(Store(p, list, mustExist: true), p.GetValue(listTenant), console, ct));
        command.Subcommands.Add(list);

        var prefix = new Argument<string>("prefix") { Description = "The key's prefix, as 'keys list' shows it (the part after af_)." };
        var revoke = new Command("revoke", "Revoke a key: the server refuses it from then on.") { prefix };
        AddStoreOptions(revoke);
        revoke.SetAction((p, ct) => KeysActions.RevokeAsync(Store(p, revoke, mustExist: true), p.GetRequiredValue(prefix), console, ct));
        command.Subcommands.Add(revoke);
        return command;
    }

    private static void AddStoreOptions(Command command)
    {
        command.Options.Add(RunsCommand.Db());
        command.Options.Add(new Option<string?>("--postgres") { Description = "A PostgreSQL connection string (instead of --db)." });
        command.Options.Add(new Option<string>("--postgres-schema") { Description = "The PostgreSQL schema holding the store's tables (with --postgres).", DefaultValueFactory = _ => "agentflow" });
    }

    private static KeysActions.StoreChoice Store(ParseResult parsed, Command command, bool mustExist) => new(
        parsed.GetValue(command.Options.OfType<Option<string>>().Single(o => o.Name == "--db")) ?? StoreOpener.DefaultDatabase,
        parsed.GetValue(command.Options.OfType<Option<string?>>().Single(o => o.Name == "--postgres")),
        parsed.GetValue(command.Options.OfType<Option<string>>().Single(o => o.Name == "--postgres-schema")) ?? "agentflow",
        mustExist);
}
