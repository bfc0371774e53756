# Chat commands: usage lines, refusals and answers, in the chatter's language. The command
# names and their options (off) are typed as they are in every language.

commands-usage-timeout = Usage: /timeout <user> [seconds]
commands-usage-ban = Usage: /ban <user>
commands-usage-unban = Usage: /unban <user>
commands-usage-slow = Usage: /slow <seconds|off>
commands-usage-raid = Usage: /raid <channel>
commands-usage-me = Usage: /me <action>
commands-not-seconds-timeout = "{ $value }" is not a number of seconds. Usage: /timeout <user> [seconds]
commands-not-seconds-slow = "{ $value }" is not a number of seconds. Usage: /slow <seconds|off>
commands-empty = Type a command after /, or /help.
commands-unknown = There is no /{ $command } command. Type /help for the list.
commands-forbidden = Only the streamer and moderators can use that command.
commands-raid-forbidden = Only the streamer can raid from this channel.
commands-unknown-user = There is no user named { $name }.
commands-help =
    /me <action>: say what you are doing
    /timeout <user> [seconds]: keep someone from chatting (default { $seconds } s; moderators)
    /ban <user>, /unban <user>: ban from or readmit to this chat (moderators)
    /slow <seconds|off>: one message per chatter every so many seconds (moderators)
    /clear: remove every message shown in this chat (moderators)
    /raid <channel>: send your viewers to another live channel (the streamer, while live)
    /help: this list. Start a message with // to send it with a single /.
commands-timed-out = { $name } was timed out for { $unit ->
        [hours] { $count ->
            [one] 1 hour
           *[other] { $count } hours
        }
        [minutes] { $count ->
            [one] 1 minute
           *[other] { $count } minutes
        }
       *[seconds] { $count ->
            [one] 1 second
           *[other] { $count } seconds
        }
    }.
commands-banned = { $name } was banned from this chat.
commands-unbanned = { $name } can chat here again.
commands-slow-off = Slow mode is off.
commands-slow-on = Slow mode is on: one message every { $unit ->
        [hours] { $count ->
            [one] 1 hour
           *[other] { $count } hours
        }
        [minutes] { $count ->
            [one] 1 minute
           *[other] { $count } minutes
        }
       *[seconds] { $count ->
            [one] 1 second
           *[other] { $count } seconds
        }
    } per chatter.
commands-raiding = Raiding { $name } with { $count ->
        [one] 1 viewer
       *[other] { $count } viewers
    }. Your viewers are on their way.
commands-cleared = The chat was cleared ({ $count ->
        [one] 1 message
       *[other] { $count } messages
    }).
