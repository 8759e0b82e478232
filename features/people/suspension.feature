@allure.label.epic:People
Feature: Suspending a person, and reinstating them
  A studio admin suspends anyone; an agency's admin the people of their own agency; to anybody else
  the person does not exist. Suspension takes effect at once: every session of the person ends
  (their very next request is refused), their unused sign-in links, the invitations they sent and
  their API keys stop working (see "API keys for an organisation's own systems"), and their open
  tasks are handed over (see "Assigning tasks, and handing them over when someone leaves").
  Reinstating lets them sign in again with a new link; it brings back no old
  session, link, invitation or key. Both are audited.

  Rule: A studio admin suspends anyone; an agency's admin the people of their own agency; nobody else anybody

    @allure.severity:critical
    Scenario Outline: <admin> suspends <person>, whose very next request is refused
      Given <person> is signed in
      And <admin> is signed in
      When <admin> suspends <person>
      Then <person>'s next request is refused as not signed in

      Examples:
        | admin | person  |
        | Ada   | Theo    |
        | Ada   | Mallory |
        | Ada   | Bea     |
        | Bea   | Theo    |
        | Bea   | Gina    |
        | Lena  | Mallory |

    @negative @security
    Scenario Outline: <who> cannot suspend <person>, who keeps working
      Given <person> is signed in
      And <who> is signed in
      When <who> tries to suspend <person>
      Then the portal answers <who> as if <person> did not exist
      And <person> is still signed in

      Examples:
        | who     | person  |
        | Lena    | Theo    |
        | Bea     | Mallory |
        | Pia     | Theo    |
        | Gina    | Theo    |
        | Sam     | Theo    |
        | Mallory | Theo    |

    @negative @security
    Scenario Outline: <who> cannot suspend <person> of another agency that joined the portal after hers
      Given <who> is signed in
      And <person> is signed in
      When <who> tries to suspend <person>
      Then the portal answers <who> as if <person> did not exist
      And <person> is still signed in

      Examples:
        | who  | person  |
        | Lena | Theo    |
        | Bea  | Mallory |

    @negative @security
    Scenario: Uma, who is not signed in, cannot suspend Theo
      Given Theo is signed in
      When Uma tries to suspend Theo
      Then the portal answers Uma as if Theo did not exist
      And Theo is still signed in

  Rule: Reinstating brings back no old session, sign-in link or invitation

    Scenario: Reinstating Theo does not bring back his old session
      Given Theo is signed in
      And Bea has suspended Theo
      And Bea has reinstated Theo
      When Theo looks at his profile
      Then Theo is asked to sign in again

    @fakes
    Scenario: Once reinstated, Theo signs in afresh
      Given Bea has suspended Theo
      And Bea has reinstated Theo
      When Theo signs in with a sign-in link
      Then Theo is signed in again

    @fakes @negative
    Scenario: Theo's unused sign-in link stays dead after he is reinstated
      Given Theo has received a sign-in link
      And Bea has suspended Theo
      And Bea has reinstated Theo
      When Theo follows the link
      Then the sign-in is refused

    @fakes @negative
    Scenario: The invitations Bea sent stop working when she is suspended, and stay dead when she is reinstated
      Given Bea has invited Nell to Brightside Agency as a producer
      And Ada has suspended Bea
      And Ada has reinstated Bea
      When Nell opens her invitation
      Then Nell is told the invitation cannot be used

  Rule: Suspending and reinstating are audited

    Scenario: The audit log records who suspended and reinstated Theo
      Given Bea has suspended Theo
      When Bea reinstates Theo
      Then the audit log records that Bea suspended Theo and then reinstated him
