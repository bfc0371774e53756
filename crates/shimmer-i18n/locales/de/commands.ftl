# Chatbefehle: Verwendung, Ablehnungen und Antworten in der Sprache der Person im Chat. Befehle
# und ihre Optionen (off) werden in jeder Sprache so getippt, wie sie sind.

commands-usage-timeout = So geht’s: /timeout <Name> [Sekunden]
commands-usage-ban = So geht’s: /ban <Name>
commands-usage-unban = So geht’s: /unban <Name>
commands-usage-slow = So geht’s: /slow <Sekunden|off>
commands-usage-raid = So geht’s: /raid <Kanal>
commands-usage-me = So geht’s: /me <Handlung>
commands-not-seconds-timeout = „{ $value }“ ist keine Zahl von Sekunden. So geht’s: /timeout <Name> [Sekunden]
commands-not-seconds-slow = „{ $value }“ ist keine Zahl von Sekunden. So geht’s: /slow <Sekunden|off>
commands-empty = Tippe nach dem / einen Befehl ein, oder /help.
commands-unknown = Den Befehl /{ $command } gibt es nicht. Tippe /help für die Liste.
commands-forbidden = Nur der Streamer und Moderatoren können diesen Befehl benutzen.
commands-raid-forbidden = Nur der Streamer kann von diesem Kanal aus raiden.
commands-unknown-user = Es gibt niemanden mit dem Namen { $name }.
commands-help =
    /me <Handlung>: sagen, was du gerade tust
    /timeout <Name> [Sekunden]: jemanden vorübergehend stummschalten (standardmäßig { $seconds } s; Moderatoren)
    /ban <Name>, /unban <Name>: aus diesem Chat verbannen oder wieder zulassen (Moderatoren)
    /slow <Sekunden|off>: pro Person nur eine Nachricht alle so viele Sekunden (Moderatoren)
    /clear: alle angezeigten Nachrichten aus diesem Chat entfernen (Moderatoren)
    /raid <Kanal>: deine Zuschauer zu einem anderen Live-Kanal schicken (der Streamer, während er live ist)
    /help: diese Liste. Beginne eine Nachricht mit //, um sie mit einem einfachen / zu senden.
commands-timed-out = { $name } wurde für { $unit ->
        [hours] { $count ->
            [one] 1 Stunde
           *[other] { $count } Stunden
        }
        [minutes] { $count ->
            [one] 1 Minute
           *[other] { $count } Minuten
        }
       *[seconds] { $count ->
            [one] 1 Sekunde
           *[other] { $count } Sekunden
        }
    } stummgeschaltet.
commands-banned = { $name } wurde aus diesem Chat verbannt.
commands-unbanned = { $name } darf hier wieder chatten.
commands-slow-off = Der langsame Modus ist aus.
commands-slow-on = Der langsame Modus ist an: pro Person eine Nachricht alle { $unit ->
        [hours] { $count ->
            [one] 1 Stunde
           *[other] { $count } Stunden
        }
        [minutes] { $count ->
            [one] 1 Minute
           *[other] { $count } Minuten
        }
       *[seconds] { $count ->
            [one] 1 Sekunde
           *[other] { $count } Sekunden
        }
    }.
commands-raiding = Raid auf { $name } mit { $count ->
        [one] 1 Zuschauer
       *[other] { $count } Zuschauern
    }. Deine Zuschauer sind unterwegs.
commands-cleared = Der Chat wurde geleert ({ $count ->
        [one] 1 Nachricht
       *[other] { $count } Nachrichten
    }).
