# Preferências e páginas de configurações.

title-preferences = Preferências
preferences-signed-out = Você não entrou na sua conta: estas preferências ficam guardadas só neste navegador.
preferences-theme = Tema
preferences-timestamps = Mostrar o horário ao lado das mensagens do chat
preferences-mature = Mostrar canais adultos sem perguntar antes
preferences-color = Cor do nome no chat
preferences-color-account = A da minha conta ({ $color })
preferences-color-help = Todas as cores ficam legíveis no tema claro e no escuro.
preferences-save = Salvar preferências
color-red = Vermelho
color-orange = Laranja
color-amber = Âmbar
color-olive = Oliva
color-green = Verde
color-teal = Verde-azulado
color-cyan = Ciano
color-blue = Azul
color-indigo = Índigo
color-purple = Roxo
color-magenta = Magenta
color-pink = Rosa

## O menu de configurações

settings-menu = Menu de configurações
settings-channel = Canal
settings-stream-key = Chave de transmissão
settings-poster = Capa
settings-chat = Chat
settings-moderators = Moderadores
settings-dashboard = Painel
settings-account = Conta
settings-security = Segurança
settings-developer = Desenvolvimento
settings-developer-apps = Meus aplicativos
settings-payouts = Repasses
settings-subscriptions = Assinaturas

## Configurações do canal

settings-channel-address = Seu canal fica em <a href="/{ $username }">/{ $username }</a>.
settings-stream-title = Título da live
settings-subcategory-help = (um jogo, estilo ou tema: escolha um ou digite um novo)
settings-tags-help = (até 10, de 2 a 18 letras, números, espaços, - ou :)
settings-tags-commas = Separe as tags com vírgulas. As sugestões vêm da categoria escolhida.
settings-mature = Conteúdo adulto (os espectadores são avisados antes de a live tocar)
settings-hide-viewers = Ocultar o número de espectadores na página do meu canal
settings-auto-host = Hospedagem automática
settings-auto-host-example = Nomes de usuário separados por vírgulas, por exemplo: ana, bob
settings-save-channel = Salvar canal
settings-auto-host-help = (até 5 canais, o preferido primeiro: enquanto você está offline, sua página toca o primeiro deles que estiver ao vivo)

## Chave de transmissão

stream-confirm-first = Confirme seu e-mail antes de transmitir: o servidor recusa transmissões de contas não confirmadas. <a href="/users/settings/security">Reenviar o e-mail de confirmação</a>.
stream-keep-secret = Mantenha sua chave em segredo: qualquer pessoa com ela pode transmitir no seu canal.
stream-connect = Conecte seu codificador
stream-rtmp = RTMP (OBS, ffmpeg, vMix, codificadores de hardware)
stream-rtmp-url = <code data-testid="rtmp-url">rtmp://{ $host }:{ $port }/live</code> com sua chave de transmissão como chave.
stream-whip = WHIP (OBS 30 ou mais recente, navegadores)
stream-whip-url = <code data-testid="whip-url">{ $url }</code> com sua chave de transmissão como token de portador.
stream-ftl = Host <code>{ $host }</code>, porta { $port }, com sua chave de transmissão.
stream-obs-rtmp = No OBS: Configurações → Transmissão, serviço "Personalizado…", cole o servidor RTMP e a chave. Depois, Configurações → Saída (Avançado): intervalo de quadro-chave 2 s, perfil main e, para x264, o ajuste "zerolatency" (quadros B em 0): os players WebRTC dos navegadores não conseguem reordenar quadros B.
stream-obs-whip = WHIP no OBS 30 ou mais recente: Configurações → Transmissão, serviço "WHIP", Servidor: a URL do WHIP acima, Token de portador: sua chave de transmissão. O vídeo é H.264 (x264 com o ajuste "zerolatency", quadro-chave a cada 2 s) e o áudio Opus: o padrão do OBS para WHIP.
stream-your-key = Sua chave de transmissão
stream-copy = Copiar
stream-rotate-text = Trocar cria uma nova chave na hora. A antiga deixa de funcionar para novas conexões.
stream-rotate = Trocar a chave
stream-test = Teste sua configuração:
stream-or-whip = ou via WHIP:

## Segurança

security-email-confirmed = Seu endereço é <strong>{ $email }</strong> (confirmado).
security-resend = Enviar o e-mail de confirmação de novo
security-new-email = Novo e-mail
security-change-email = Mudar e-mail
security-change-password = Mudar senha
security-logs-out = Mudar a senha ou o e-mail desconecta você de todos os outros lugares.
security-sessions = Onde você está conectado
security-this-browser = (este navegador)
security-email-unconfirmed = Seu endereço é <strong>{ $email }</strong> (<span class="warning-text">ainda não confirmado</span>).
security-remembered = lembrado
security-last-active = Última atividade: { $when }

## Configurações do chat

chat-settings-intro = Regras que toda mensagem do seu chat precisa cumprir. Você, seus moderadores e a equipe ficam isentos das regras de acesso.
chat-settings-age = Idade mínima da conta para conversar (horas, 0–720)
chat-settings-slow = Modo lento: segundos entre as mensagens de uma mesma pessoa (0 = desativado)
chat-settings-email = Exigir e-mail confirmado para conversar
chat-settings-block-links = Recusar mensagens com links
chat-settings-clickable = Deixar os links do chat clicáveis (senão aparecem como texto)
chat-settings-recent = Mostrar só a última hora do chat para quem chega
chat-settings-subscribers = Só assinantes podem conversar (e os moderadores)
chat-settings-raids = Deixar outros streamers fazerem raids neste canal (mandar os espectadores deles para cá com /raid)
chat-settings-save = Salvar configurações do chat

## Moderadores

moderators-intro = Os moderadores agem pelo chat (clicando em um nome) e pela <a href="/{ $username }/moderation">página de moderação</a> do seu canal. Escolha o que cada um pode fazer.
moderators-add-heading = Adicionar um moderador
moderators-may = Pode
moderators-may-short = suspender por 5 minutos
moderators-may-long = suspender por 15 minutos
moderators-may-ban = banir
moderators-may-unban = desbanir
moderators-may-delete = excluir mensagens
moderators-may-edit = editar o título e as tags da live (editor)
moderators-add = Adicionar moderador
moderators-yours = Seus moderadores
moderators-none = Nenhum moderador ainda.
moderators-short = suspensões de 5 minutos
moderators-long = suspensões de 15 minutos
moderators-bans = banimentos
moderators-unbans = desbanimentos
moderators-deleting = exclusão de mensagens
moderators-editing = edição de título e tags

## Capa

poster-intro = Sua capa aparece no player em <a href="/{ $username }">/{ $username }</a> enquanto você está offline e no card do seu canal. JPEG ou PNG, com pelo menos 160×90 e no máximo 4096×4096 pixels, até 4 MB; ela é cortada em 16:9.
poster-current = Sua capa atual
poster-none = Você ainda não tem capa; offline, seu canal mostra uma imagem simples.
poster-image = Imagem
poster-upload = Enviar capa
poster-remove = Remover capa

## Configurações do perfil

profile-settings-see = Ver seu perfil público
profile-settings-avatar = Foto de perfil
profile-settings-your-avatar = Sua foto de perfil
profile-settings-image = Imagem (PNG, JPEG ou GIF, até 2 MB)
profile-settings-upload = Enviar foto
profile-settings-about = Sobre você
profile-settings-display-name = Nome de exibição
profile-settings-display-help = Como seu nome aparece. Ele só pode ser diferente do seu nome de usuário <strong>{ $username }</strong> em letras maiúsculas e minúsculas.
profile-settings-pronouns = Pronomes
profile-settings-pronouns-example = ela/dela, ele/dele, …
profile-settings-bio = Biografia (Markdown)
profile-settings-live-message = Mensagem mostrada no seu perfil enquanto você está ao vivo
profile-settings-youtube = Vídeo de apresentação do YouTube (link ou id)
profile-settings-links = Links
profile-settings-save = Salvar perfil

## Painéis de informações

settings-panels = Painéis de informações
panels-intro = Os painéis aparecem abaixo do player em <a href="/{ $username }">/{ $username }</a>: sua agenda, links, regras. Até { $max } painéis, cada um com um título de até { $title_max } caracteres e até { $body_max } caracteres de Markdown (<strong>**negrito**</strong>, <em>*itálico*</em>, listas e links como <code>[meu site](https://example.com)</code>; HTML aparece do jeito que foi digitado).
panels-new = Novo painel
panels-text = Texto
panels-place = Posição
panels-remove = Remover este painel
panels-full = Você tem { $max } painéis, o máximo que um canal pode mostrar. Remova um para adicionar outro.
panels-save = Salvar painéis
panels-number = Painel { $number }
