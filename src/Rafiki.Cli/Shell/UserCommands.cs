using System.CommandLine;
using Rafiki.Client.Contracts;
using Spectre.Console;

namespace Rafiki.Cli.Shell;

/// <summary><c>rafiki users list|create</c>: user management for admins.</summary>
public static class UserCommands
{
    /// <summary>Builds <c>rafiki users</c> with its subcommands.</summary>
    public static Command Create() => new("users", "List and create users (admins only).") { List(), CreateUser() };

    private static Command List()
    {
        var command = new Command("list", "List every user.");
        var options = ShellOptions.AddTo(command);
        ShellAction.Set(command, options, async (session, _, cancellationToken) =>
        {
            var users = await session.Client.ListUsersAsync(cancellationToken);
            if (session.Json)
            {
                session.WriteJson(users);
            }
            else
            {
                session.Out.Write(Render(users));
            }

            return ShellExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateUser()
    {
        var name = new Argument<string>("USERNAME") { Description = "3 to 64 letters, digits, dots, dashes or underscores." };
        var role = new Option<string>("--role") { Description = $"Role: {string.Join(", ", UserRoles.All)}.", Required = true };
        role.AcceptOnlyFromAmong([.. UserRoles.All]);
        var password = new Option<string?>("--password")
        {
            Description = "Password of 12 or more characters; when missing, it is prompted for, or read as one line from standard " +
                          "input when that is redirected.",
        };
        var command = new Command("create", "Create a user.") { name, role, password };
        var options = ShellOptions.AddTo(command);
        ShellAction.Set(command, options, async (session, parse, cancellationToken) =>
        {
            var username = parse.GetValue(name)!;
            var secret = PasswordInput.Read(parse.GetValue(password), username);
            var request = new CreateUserRequest(username, secret, parse.GetValue(role));
            var user = await session.Client.CreateUserAsync(request, cancellationToken);
            if (session.Json)
            {
                session.WriteJson(user);
            }
            else
            {
                session.Out.Write(Render([user]));
            }

            return ShellExitCodes.Ok;
        });
        return command;
    }

    private static Table Render(IEnumerable<UserView> users)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("User", "Name", "Role", "Created (UTC)");
        foreach (var user in users)
        {
            table.AddRow(
                Markup.Escape(user.Id), Markup.Escape(user.Username), Markup.Escape(user.Role),
                $"{user.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}");
        }

        return table;
    }
}
