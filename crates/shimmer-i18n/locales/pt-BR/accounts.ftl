# Cadastro, login, senhas, verificação em duas etapas, a conta, perfis e denúncias.

## Login e cadastro

auth-login-field = Nome de usuário ou e-mail
auth-remember = Lembrar de mim por 30 dias
auth-forgot = Esqueceu a senha?
auth-create-account = Criar uma conta
auth-register-heading = Crie sua conta
auth-username-help = De 3 a 24 letras, números, _ ou . — também é o endereço do seu canal.
auth-password-help = Pelo menos 8 caracteres.
auth-trap = Site (deixe em branco)
auth-have-account = Já tem uma conta? <a href="/users/login">Entre</a>.

## Senhas

auth-reset-heading = Redefinir sua senha
auth-reset-sent = Se alguma conta usa esse endereço, enviamos para ela um link para escolher uma nova senha. O link funciona uma vez e expira em uma hora.
auth-reset-email = O e-mail da sua conta
auth-reset-send = Me envie um link
auth-new-password-heading = Escolha uma nova senha
auth-new-link = Pedir um novo link
auth-new-password = Nova senha
auth-save-password = Salvar a nova senha
auth-link-heading = Entre com o seu link
auth-go-to-login = Ir para o login
auth-link-text = O login nesta conta foi pausado depois de muitas tentativas com erro, e a sua senha correta enviou este link para você. Toque no botão para entrar.
auth-confirm-heading = Confirme seu e-mail
auth-confirm-text = Toque no botão para confirmar este endereço para a sua conta do Shimmer.
auth-confirm-button = Confirmar meu e-mail

## Verificação em duas etapas

auth-code-heading = Digite seu código
auth-code-text = Sua conta usa verificação em duas etapas. Digite o código de seis dígitos do seu app autenticador ou um dos seus códigos de recuperação.
auth-code = Código
auth-start-again = Começar de novo
two-factor-title = Verificação em duas etapas
two-factor-required = Contas da equipe precisam usar a verificação em duas etapas. Configure-a para continuar.
two-factor-on = A verificação em duas etapas está <strong>ativada</strong>. Códigos de recuperação não usados: { $count }.
two-factor-off-heading = Desativar
auth-current-password = Senha atual
auth-code-or-recovery = Código do seu app (ou um código de recuperação)
two-factor-turn-off = Desativar a verificação em duas etapas
two-factor-scan = Escaneie este código com um app autenticador (como Aegis, Google Authenticator ou 1Password) e depois digite o código de seis dígitos que ele mostrar.
two-factor-qr-alt = Código QR para o seu app autenticador
two-factor-manual = Não consegue escanear? Digite esta chave manualmente:
two-factor-six-digits = Código de seis dígitos
two-factor-turn-on = Ativar a verificação em duas etapas
two-factor-is-on = A verificação em duas etapas está ativada
two-factor-keep-codes = Guarde estes códigos de recuperação em um lugar seguro. Cada um funciona uma vez no lugar de um código do seu app, caso você perca o celular. Eles só aparecem agora.
two-factor-done = Concluir

## A página da conta

account-rename-heading = Mudar seu nome de usuário
account-rename-text = Seu nome de usuário é <strong>{ $username }</strong>. Você pode mudá-lo uma vez a cada 30 dias; seu nome antigo fica reservado por um tempo para que ninguém o pegue logo em seguida.
account-new-username = Novo nome de usuário
account-rename-button = Mudar nome de usuário
account-email-hint = Para mudar seu e-mail, vá para <a href="/users/settings/security">Segurança</a>.
account-export-heading = Baixar seus dados
account-export-text = Um arquivo zip com seu perfil, suas preferências, seu canal e suas mensagens de chat em JSON.
account-export-button = Baixar meus dados
account-delete-heading = Excluir sua conta
account-delete-text = Isso exclui sua conta e seu canal na hora e não pode ser desfeito. Suas mensagens continuam nos chats de outros canais, mostradas como de um usuário excluído.
account-delete-confirm = Entendo que isso não pode ser desfeito.
account-delete-button = Excluir minha conta

## Canais adultos

mature-heading = { $name } transmite conteúdo adulto
mature-text = Este canal está marcado como adulto: pode mostrar conteúdo que não é adequado para todo mundo.
mature-continue = Continuar para o canal
mature-back = Voltar para a página inicial
mature-preferences = Você pode desativar este aviso nas suas <a href="/preferences">preferências</a>.

## Perfis

profile-live-now = Ao vivo agora: assistir
profile-followers = { $count ->
        [one] { $count } seguidor
       *[other] { $count } seguidores
    }
profile-following = Segue { $count }
profile-intro-video = Vídeo de apresentação
profile-report = Denunciar { $name }
profile-go-to-channel = Ir para o canal

## Denúncias

report-intro = As denúncias vão para a equipe, que analisa cada uma. Só a equipe vê quem fez a denúncia.
report-where = Onde isso aconteceu?
report-location-stream = No vídeo da live
report-what = Qual é o problema?
report-reason-hate = Discurso de ódio ou assédio
report-notes = Algo que a equipe deva saber (opcional)
report-send = Enviar denúncia
report-location-chat = No chat da live
report-location-profile = No texto do perfil ou no avatar
report-location-username = No nome de usuário
report-location-elsewhere = Em outro lugar
report-reason-inappropriate = Conteúdo impróprio ou adulto sem marcação
report-reason-copyright = Violação de direitos autorais ou da lei
report-reason-spam = Spam ou golpes
report-reason-other = Outra coisa
report-bad-message = A mensagem de chat desta denúncia não é válida.
report-thanks = Obrigado
report-sent = Sua denúncia sobre { $username } foi enviada para a equipe.
auth-confirmed = Obrigado, { $username }! Seu endereço { $email } está confirmado. Você já pode transmitir.
auth-find-stream-key = Ver sua chave de transmissão
account-delete-tick = Marque a caixa para confirmar a exclusão.
two-factor-staff-keep = Contas da equipe precisam manter a verificação em duas etapas ativada.
profile-avatar-too-large = Esse arquivo é grande demais: avatares têm no máximo 2 MB.
