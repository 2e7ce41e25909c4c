/**
 * The admin page (#/admin, admins only): the sender's users (add by personal identity
 * number, name and role; remove), API tokens (create, shown once; revoke) and webhooks
 * (./webhooks-section.ts). The number goes to the server only to add a user, which keeps
 * only its keyed hash.
 *
 * @example
 * main.append(adminView(t, session));
 */
import { ApiError } from '../../client/index.js';
import type { Role } from '../../shared/api/accounts.js';
import { copyField } from '../copy-field.js';
import { focusHeading, h, replace } from '../../ui/dom.js';
import type { Session } from '../session.js';
import { formatTime, type Texts } from '../texts.js';
import { webhooksSection } from './webhooks-section.js';

export function adminView(t: Texts, session: Session): HTMLElement {
  const { accounts } = session;
  const heading = h('h1', { id: 'admin-heading' }, t.admin);
  const status = h('p', { role: 'status', id: 'admin-status' });
  const users = h('ul', { class: 'admin-list', 'aria-label': t.users, id: 'users' });
  const tokens = h('ul', { class: 'admin-list', 'aria-label': t.tokens, id: 'tokens' });
  const said = (error: unknown) => (status.textContent = t.problem(error instanceof ApiError ? `${error.message} (${error.code})` : String(error)));

  const loadUsers = async () => {
    const list = await accounts.users();
    replace(
      users,
      ...list.map((user) =>
        h(
          'li',
          { class: 'admin-item' },
          h('span', {}, `${user.name} · ${user.role === 'admin' ? t.roleAdmin : t.roleMember}`, h('small', { class: 'user-id' }, ` · ${t.userId(user.id)}`)),
          user.id === session.me.user.id
            ? null
            : h('button', { type: 'button', class: 'button small secondary', 'aria-label': t.removeUser(user.name), on: { click: () => void accounts.deleteUser(user.id).then(loadUsers, said) } }, t.remove),
        ),
      ),
    );
  };
  const loadTokens = async () => {
    const list = await accounts.tokens();
    replace(
      tokens,
      ...list.map((token) =>
        h(
          'li',
          { class: 'admin-item' },
          h('span', {}, `${token.name} · ${formatTime(token.createdAt, t.language)}`),
          h('button', { type: 'button', class: 'button small secondary', 'aria-label': t.revokeToken(token.name), on: { click: () => void accounts.revokeToken(token.id).then(loadTokens, said) } }, t.revoke),
        ),
      ),
    );
  };

  const personalNumber = h('input', { id: 'user-number', type: 'text', inputmode: 'numeric', autocomplete: 'off' });
  const name = h('input', { id: 'user-name', type: 'text', autocomplete: 'off' });
  const role = h('select', { id: 'user-role' }, h('option', { value: 'member' }, t.roleMember), h('option', { value: 'admin' }, t.roleAdmin));
  const addUser = h(
    'form',
    { class: 'admin-form', 'aria-label': t.addUser },
    h('div', { class: 'field' }, h('label', { for: 'user-number' }, t.personalNumber), personalNumber),
    h('div', { class: 'field' }, h('label', { for: 'user-name' }, t.userName), name),
    h('div', { class: 'field' }, h('label', { for: 'user-role' }, t.role), role),
    h('button', { type: 'submit', class: 'button' }, t.addUser),
  );
  addUser.addEventListener('submit', (event) => {
    event.preventDefault();
    accounts.createUser({ personalNumber: personalNumber.value.trim(), name: name.value.trim(), role: role.value as Role }).then(() => {
      personalNumber.value = '';
      name.value = '';
      status.textContent = t.userAdded;
      return loadUsers();
    }, said);
  });

  const tokenName = h('input', { id: 'token-name', type: 'text', autocomplete: 'off' });
  const shown = h('div', { class: 'token-shown' });
  const addToken = h('form', { class: 'admin-form', 'aria-label': t.createToken }, h('div', { class: 'field' }, h('label', { for: 'token-name' }, t.tokenName), tokenName), h('button', { type: 'submit', class: 'button' }, t.createToken));
  addToken.addEventListener('submit', (event) => {
    event.preventDefault();
    accounts.createToken(tokenName.value.trim()).then((created) => {
      tokenName.value = '';
      replace(shown, copyField(t, { id: 'new-token', value: created.token, label: t.tokenOnce, copy: t.copyToken, visibleLabel: true }));
      return loadTokens();
    }, said);
  });

  const webhooks = webhooksSection(t, accounts, { status, said });
  void loadUsers().catch(said);
  void loadTokens().catch(said);
  void webhooks.load().catch(said);
  const element = h(
    'section',
    { class: 'view admin-view', 'data-view': 'admin' },
    heading,
    status,
    h('h2', {}, t.users),
    users,
    addUser,
    h('h2', {}, t.tokens),
    tokens,
    addToken,
    shown,
    ...webhooks.elements,
    h('h2', {}, t.gatewayHeading),
    h('p', { class: 'note' }, t.gatewayNote),
  );
  queueMicrotask(() => focusHeading(heading));
  return element;
}
